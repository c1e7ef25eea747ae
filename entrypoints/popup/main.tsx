import '../../components/theme.css';
import './style.css';
import { render } from 'preact';
import { localizeDocument } from '../../utils/i18n';
import { App } from './App';
import { getPopupDb } from './popup-db';

localizeDocument();
// Open the database while the first render runs; the list's first read then finds it ready.
void getPopupDb().catch(() => undefined);
render(<App />, document.getElementById('app')!);
