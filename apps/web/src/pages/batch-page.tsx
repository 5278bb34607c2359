import { PageTitle } from '../components/page-title';

export function BatchPage() {
  return <PageTitle title="BatchPage" />;
}
