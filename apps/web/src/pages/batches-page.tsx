import { PageTitle } from '../components/page-title';

export function BatchesPage() {
  return <PageTitle title="BatchesPage" />;
}
