import { PageTitle } from '../components/page-title';

export function NewAnalysisPage() {
  return <PageTitle title="NewAnalysisPage" />;
}
