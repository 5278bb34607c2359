import { PageTitle } from '../components/page-title';

export function AdminPage() {
  return <PageTitle title="AdminPage" />;
}
