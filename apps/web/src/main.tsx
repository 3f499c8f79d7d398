import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Toaster } from 'sonner';
import { ApiError } from './api/api-client';
import { App } from './app';
import { reportApiFailure } from './session/session-watch';
import './styles.css';

// A 4xx will not change by asking again; network failures and 5xx get two more tries.
const queryClient = new QueryClient({
  // Any call that ends in 401 (after the client's own renewal) makes the session check itself.
  queryCache: new QueryCache({ onError: reportApiFailure }),
  mutationCache: new MutationCache({ onError: reportApiFailure }),
  defaultOptions: {
    queries: {
      retry: (failures, e) => failures < 2 && !(e instanceof ApiError && e.status >= 400 && e.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
      <Toaster position="top-right" closeButton />
    </QueryClientProvider>
  </StrictMode>,
);
