/**
 * ProblemError: an Error that carries a Problem, for failures a person is told about (a scan's, or a page's
 * request to the background). Its `message` is only a log line; what a person reads is rendered from
 * `problem` in their language.
 */
import { problem as makeProblem, problemLogLine, redactProblem, type Problem } from './problem';

export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(readonly problem: Problem) {
    super(problemLogLine(problem));
  }
}

/**
 * Any thrown value as a Problem; secrets never leave. A ProblemError (ScanFailure included) gives its own;
 * a full disk says so; anything else is 'internal', with the exception's text kept only as the `detail`.
 */
export function toProblem(error: unknown, secrets: readonly string[] = []): Problem {
  if (error instanceof ProblemError) return redactProblem(error.problem, secrets);
  if (error instanceof DOMException && error.name === 'QuotaExceededError') return makeProblem('storage');
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return makeProblem('internal', { detail }, secrets);
}
