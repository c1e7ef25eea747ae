import '../../components/theme.css';
import './style.css';
import { render } from 'preact';
import { localizeDocument, t } from '../../utils/i18n';
import { App } from './App';
import { getPopupDb } from './popup-db';
import { viewOf } from './view';

localizeDocument();
// Open the database while the first render runs; the list's first read then finds it ready.
void getPopupDb().catch(() => undefined);
const view = viewOf(location.search);
document.documentElement.dataset.view = view;
if (view === 'files') document.title = t('scanFilesTabTitle');
render(<App view={view} />, document.getElementById('app')!);
