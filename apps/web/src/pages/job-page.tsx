import { PageTitle } from '../components/page-title';

export function JobPage() {
  return <PageTitle title="JobPage" />;
}
