import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { AppServicesContext, createAppServices } from './app/app-context';
import { createAppRouter } from './app/router';
import './styles/app.css';

performance.mark('scriptripper:start');
const services = createAppServices();
void services.session.restore();
const router = createAppRouter();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <AppServicesContext.Provider value={services}>
      <QueryClientProvider client={services.queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </AppServicesContext.Provider>
  </StrictMode>,
);
