/** Side effects of the settings page: the settings store, theme override (`?theme=`), render. */
import { render } from 'preact';
import { loadSettings, saveSettings, watchSettings } from '@/utils/storage/settings-item';
import { App } from './App';
import './style.css';

const forced = new URLSearchParams(location.search).get('theme');
if (forced === 'dark' || forced === 'light') document.documentElement.dataset.theme = forced;

render(
  <App store={{ load: loadSettings, save: saveSettings, watch: watchSettings }} />,
  document.getElementById('app')!,
);
