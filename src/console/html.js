// Preact and htm, vendored: `html` tagged templates build every view.
import { h, render, Fragment } from './vendor/preact.module.js';
import htm from './vendor/htm.module.js';

export { render, Fragment };
export {
  useState,
  useEffect,
  useRef,
  useCallback,
  useMemo,
} from './vendor/hooks.module.js';

export const html = htm.bind(h);
