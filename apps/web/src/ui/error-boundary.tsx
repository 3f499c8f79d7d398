import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../i18n/i18n';
import { Button } from './button';

interface Props {
  readonly children: ReactNode;
  /** What failed, in the catalogue's words ("This page", "The drawing pad"): the panel's heading. */
  readonly what?: string;
}

interface State {
  readonly failed: boolean;
}

/**
 * Keeps one part of the app from blanking the whole of it: a render that throws, or a lazy chunk
 * that does not load (a network blip, or a tab left open across a deploy whose old chunks are
 * gone). It shows what happened and offers to try the part again or to reload the app; only a
 * reload helps a missing chunk, since React keeps a lazy import's failure for the page's life.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The only record of what broke: the browser console (there is no client log shipping).
    console.error('ErrorBoundary caught', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="my-4 rounded-md border border-red-300 bg-red-50 p-4 text-red-900">
        <p className="font-semibold">{this.props.what ?? t('boundary.title')}</p>
        <p role="alert" className="mt-1">
          {t('boundary.message')}
        </p>
        <div className="mt-3 flex flex-wrap gap-2">
          <Button size="sm" onClick={() => window.location.reload()}>
            {t('boundary.reload')}
          </Button>
          <Button variant="secondary" size="sm" onClick={() => this.setState({ failed: false })}>
            {t('action.retry')}
          </Button>
        </div>
      </div>
    );
  }
}
