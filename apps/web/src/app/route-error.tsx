import { Link, useRouteError } from 'react-router';
import { messageOf } from '../api/api-error';

/** A page that failed to load (e.g. its chunk after a deploy): say so and offer a way on. */
export function RouteError() {
  const error = useRouteError();
  return (
    <main id="main" className="centered">
      <h1>Something went wrong</h1>
      <p role="alert">{messageOf(error)}</p>
      <p>
        <a href={window.location.href}>Reload the page</a> or go to <Link to="/jobs">your jobs</Link>.
      </p>
    </main>
  );
}
