//! A trie over folded words, walked from the start of each token.
//!
//! Every entry is a word with a payload: an item (a `u32`, reported one by one) or a flag (a
//! bit, OR-ed into a caller's bit set). An entry is *closed* (the token must be exactly the
//! word) or *open* (the token may continue: a prefix). Walking a token costs one step per byte
//! until the token leaves the trie, which for ordinary words is after one or two bytes; there
//! is no per-entry cost, so the lexicon can grow without slowing the scan.
//!
//! The trie is stored as a double array (each node's children sit at `base + symbol`, and a
//! slot records its parent), a few bytes per node, so the part ordinary words walk through
//! stays in cache.

/// Symbols of folded words: `a-z`, `0-9`, `*`, `#`.
const SYMBOLS: usize = 38;

/// Not a symbol of folded words.
const NONE: u8 = u8::MAX;

const fn symbol_table() -> [u8; 256] {
    let mut t = [NONE; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' => c - b'a',
            b'0'..=b'9' => 26 + c - b'0',
            b'*' => 36,
            b'#' => 37,
            _ => NONE,
        };
        b += 1;
    }
    t
}

static SYMBOL: [u8; 256] = symbol_table();

/// One slot of the double array.
#[derive(Clone, Copy, Debug)]
struct Slot {
    /// Children of this node are at `base + symbol`.
    base: u32,
    /// The parent slot of the node here; `FREE` when the slot is unused.
    parent: u32,
    /// Index into [`Trie::payloads`] plus one; 0 = none.
    payload: u32,
}

const FREE: u32 = u32::MAX;

/// What a node reports.
#[derive(Clone, Copy, Debug)]
struct Payload {
    /// Items of closed entries are `items[c..o]`, of open ones `items[o..e]`.
    items: [u32; 3],
    /// Offsets into [`Trie::flags`] of the closed and open flag sets.
    flags: [u32; 2],
}

/// A compiled trie.
#[derive(Debug)]
pub(super) struct Trie {
    slots: Vec<Slot>,
    payloads: Vec<Payload>,
    items: Vec<u32>,
    /// Flag sets, `words` `u64`s each; set 0 is empty.
    flags: Vec<u64>,
    words: usize,
}

/// A node while building.
struct Node {
    next: [u32; SYMBOLS],
    items: [Vec<u32>; 2],
    flags: [Vec<u32>; 2],
}

impl Default for Node {
    fn default() -> Self {
        Node {
            next: [0; SYMBOLS],
            items: Default::default(),
            flags: Default::default(),
        }
    }
}

/// Collects entries, then compiles them into a [`Trie`].
#[derive(Default)]
pub(super) struct Builder {
    nodes: Vec<Node>,
    max_flag: Option<u32>,
}

impl Builder {
    /// Adds `word` with item `item`; `open` entries match any token that starts with `word`.
    pub fn item(&mut self, word: &[u8], open: bool, item: u32) -> Result<(), String> {
        let node = self.node(word)?;
        let list = &mut self.nodes[node].items[usize::from(open)];
        if !list.contains(&item) {
            list.push(item);
        }
        Ok(())
    }

    /// Adds `word` with flag bit `flag`.
    pub fn flag(&mut self, word: &[u8], open: bool, flag: u32) -> Result<(), String> {
        let node = self.node(word)?;
        self.nodes[node].flags[usize::from(open)].push(flag);
        self.max_flag = self.max_flag.max(Some(flag));
        Ok(())
    }

    /// The node of `word`, created as needed. Words of other bytes than folded symbols are
    /// rejected.
    fn node(&mut self, word: &[u8]) -> Result<usize, String> {
        if self.nodes.is_empty() {
            self.nodes.push(Node::default());
        }
        let mut node = 0usize;
        for &b in word {
            let s = SYMBOL[b as usize];
            if s == NONE {
                return Err(format!(
                    "`{}` is not a folded word",
                    String::from_utf8_lossy(word)
                ));
            }
            let child = self.nodes[node].next[s as usize];
            node = if child == 0 {
                self.nodes.push(Node::default());
                let id = self.nodes.len() - 1;
                self.nodes[node].next[s as usize] = id as u32;
                id
            } else {
                child as usize
            };
        }
        Ok(node)
    }

    /// Compiles the entries, placing nodes breadth first so short prefixes sit together.
    pub fn build(mut self) -> Trie {
        if self.nodes.is_empty() {
            self.nodes.push(Node::default());
        }
        let words = self.max_flag.map_or(0, |m| m as usize / 64 + 1);
        let mut trie = Trie {
            slots: vec![Slot {
                base: 0,
                parent: FREE,
                payload: 0,
            }],
            payloads: Vec::new(),
            items: Vec::new(),
            flags: vec![0; words],
            words,
        };
        // (builder node, slot)
        let mut queue = vec![(0usize, 0usize)];
        let mut next_free = 1usize;
        let mut k = 0;
        while k < queue.len() {
            let (node, slot) = queue[k];
            k += 1;
            trie.slots[slot].payload = trie.add_payload(&self.nodes[node]);
            let children: Vec<(usize, usize)> = (0..SYMBOLS)
                .filter(|&s| self.nodes[node].next[s] != 0)
                .map(|s| (s, self.nodes[node].next[s] as usize))
                .collect();
            let Some(&(first, _)) = children.first() else {
                continue;
            };
            while trie.slots.get(next_free).is_some_and(|s| s.parent != FREE) {
                next_free += 1;
            }
            let mut base = next_free.saturating_sub(first).max(1);
            while !children
                .iter()
                .all(|&(s, _)| trie.slots.get(base + s).is_none_or(|slot| slot.parent == FREE))
            {
                base += 1;
            }
            trie.slots[slot].base = base as u32;
            for &(s, child) in &children {
                let at = base + s;
                if trie.slots.len() <= at {
                    trie.slots.resize(
                        at + 1,
                        Slot {
                            base: 0,
                            parent: FREE,
                            payload: 0,
                        },
                    );
                }
                trie.slots[at].parent = slot as u32;
                queue.push((child, at));
            }
        }
        trie
    }
}

impl Trie {
    fn add_payload(&mut self, node: &Node) -> u32 {
        if node.items.iter().all(Vec::is_empty) && node.flags.iter().all(Vec::is_empty) {
            return 0;
        }
        let c = self.items.len() as u32;
        self.items.extend_from_slice(&node.items[0]);
        let o = self.items.len() as u32;
        self.items.extend_from_slice(&node.items[1]);
        let e = self.items.len() as u32;
        let mut flags = [0u32; 2];
        for (k, bits) in node.flags.iter().enumerate() {
            if bits.is_empty() {
                continue;
            }
            flags[k] = self.flags.len() as u32;
            let at = self.flags.len();
            self.flags.resize(at + self.words, 0);
            for &b in bits {
                self.flags[at + b as usize / 64] |= 1 << (b % 64);
            }
        }
        self.payloads.push(Payload {
            items: [c, o, e],
            flags,
        });
        self.payloads.len() as u32
    }

    /// Walks `word`: calls `item` with the item of every entry that matches it (closed entries
    /// equal to it, open entries that are a prefix of it) and ORs their flags into `flags`.
    #[inline]
    pub fn walk(&self, word: &[u8], flags: &mut [u64], mut item: impl FnMut(u32)) {
        let mut node = 0usize;
        for (k, &b) in word.iter().enumerate() {
            let s = SYMBOL[b as usize];
            if s == NONE {
                return;
            }
            let at = self.slots[node].base as usize + s as usize;
            let Some(slot) = self.slots.get(at) else {
                return;
            };
            if slot.parent as usize != node {
                return;
            }
            node = at;
            if slot.payload == 0 {
                continue;
            }
            let Some(p) = self.payloads.get(slot.payload as usize - 1) else {
                return;
            };
            let [c, o, e] = p.items.map(|i| i as usize);
            self.items[o..e].iter().for_each(|&i| item(i));
            self.or_flags(p.flags[1], flags);
            if k + 1 == word.len() {
                self.items[c..o].iter().for_each(|&i| item(i));
                self.or_flags(p.flags[0], flags);
            }
        }
    }

    fn or_flags(&self, set: u32, flags: &mut [u64]) {
        if set == 0 {
            return;
        }
        let set = &self.flags[set as usize..set as usize + self.words];
        flags.iter_mut().zip(set).for_each(|(f, s)| *f |= s);
    }

    /// Number of slots (for tests and tools).
    #[cfg(test)]
    pub fn slots(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn hits(t: &Trie, w: &str) -> (Vec<u32>, u64) {
        let mut v = Vec::new();
        let mut flags = [0u64; 1];
        t.walk(w.as_bytes(), &mut flags, |p| v.push(p));
        v.sort_unstable();
        (v, flags[0])
    }

    #[test]
    fn closed_words_match_whole_tokens_and_open_words_prefixes() {
        let mut b = Builder::default();
        b.item(b"fuck", true, 1).unwrap();
        b.item(b"fuck", false, 2).unwrap();
        b.item(b"f*ck", false, 3).unwrap();
        b.item(b"ass", false, 4).unwrap();
        b.flag(b"you", false, 0).unwrap();
        b.flag(b"yo", true, 3).unwrap();
        assert!(b.item(b"a b", false, 5).is_err());
        let t = b.build();
        assert_eq!(hits(&t, "fuck"), (vec![1, 2], 0));
        assert_eq!(hits(&t, "fucking"), (vec![1], 0));
        assert_eq!(hits(&t, "f*ck"), (vec![3], 0));
        assert_eq!(hits(&t, "assessment"), (vec![], 0));
        assert_eq!(hits(&t, "as"), (vec![], 0));
        assert_eq!(hits(&t, "ass"), (vec![4], 0));
        assert_eq!(hits(&t, "you"), (vec![], 0b1001));
        assert_eq!(hits(&t, "youth"), (vec![], 0b1000));
        assert_eq!(hits(&t, "y"), (vec![], 0));
    }
}
