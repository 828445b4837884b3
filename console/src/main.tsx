import { render } from 'preact';
import { App } from './app.js';
import { storedTheme } from './theme.js';
import './styles.css';

const theme = storedTheme();
if (theme) document.documentElement.dataset.theme = theme;
render(<App />, document.getElementById('app')!);
