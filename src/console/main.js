// Entry point: replaces the boot message with the console.
import { html, render } from './html.js';
import { App } from './shell.js';

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
