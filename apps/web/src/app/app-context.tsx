import { QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { ApiError } from '../api/api-error';
import { ScriptRipperApi } from '../api/scriptripper-api';
import { SessionManager, type SessionState } from '../session/session-manager';

export interface AppServices {
  session: SessionManager;
  api: ScriptRipperApi;
  queryClient: QueryClient;
}

export function createAppServices(session = new SessionManager()): AppServices {
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // A refusal (404, 403, ...) will not change by asking again; a network blip may.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        refetchOnWindowFocus: false,
        staleTime: 5_000,
      },
    },
  });
  return { session, api: new ScriptRipperApi(session), queryClient };
}

export const AppServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error('useServices outside AppServicesContext');
  return services;
}

export function useApi(): ScriptRipperApi {
  return useServices().api;
}

export function useSessionState(): SessionState {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.getState);
}

export function useSignedInUser() {
  const state = useSessionState();
  return state.status === 'signed-in' ? state.user : null;
}
