import { RouteConfig } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';

const UPLOAD_ROUTE = 'scriptripperUploadRoute';

/**
 * Marks a route that takes a transcript in its JSON body: that route alone accepts bodies up
 * to the upload limit instead of the general JSON limit (see `raiseBodyLimitOfUploadRoutes`).
 */
export const UploadRoute = () => RouteConfig({ [UPLOAD_ROUTE]: true });

/** An `onRoute` hook: a route-level `bodyLimit` overrides the JSON parser's general one. */
export function raiseBodyLimitOfUploadRoutes(uploadLimitBytes: number) {
  return (route: RouteOptions): void => {
    if ((route.config as Record<string, unknown> | undefined)?.[UPLOAD_ROUTE] === true) {
      route.bodyLimit = uploadLimitBytes;
    }
  };
}
