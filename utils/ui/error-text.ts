/**
 * What a page shows for an error it caught: a ProblemError from the background (or from the database) as
 * its sentence in the page's language; anything else as the generic 'internal' sentence, with the
 * exception itself in the console, since its own words are not shown.
 */
import { t, uiLocale } from '../i18n';
import { renderProblem } from '../problems/render-problem';
import { toProblem } from '../problems/problem-error';
import { displayText } from './format';

export function errorText(error: unknown, max = 300): string {
  const problem = toProblem(error);
  if (problem.code === 'internal') console.warn('ScanDock:', error);
  return displayText(renderProblem('error', problem, t, uiLocale()), max);
}
