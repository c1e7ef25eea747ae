import '../../components/theme.css';
import '../../components/page.css';
import './style.css';
import { render } from 'preact';
import { localizeDocument, t } from '../../utils/i18n';
import { App } from './App';

localizeDocument();
document.title = t('welcomeTitle');
render(<App />, document.getElementById('app')!);
