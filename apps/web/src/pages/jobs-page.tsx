import { PageTitle } from '../components/page-title';

export function JobsPage() {
  return <PageTitle title="JobsPage" />;
}
