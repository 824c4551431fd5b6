// Entry point of the web app: mounts the shell. Styles come from a stylesheet file (the CSP allows no inline style).
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App />, root);
