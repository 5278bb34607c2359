import { Link } from 'react-router';
import { PageTitle } from '../components/page-title';

export function NotFoundPage() {
  return (
    <section>
      <PageTitle title="Page not found" />
      <p>
        There is nothing here. Go to <Link to="/jobs">your jobs</Link>.
      </p>
    </section>
  );
}
