/** What the API accepts, checked before uploading so a person hears it at once. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_BATCH_FILES = 100;
const MEETING_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface UploadForm {
  files: readonly { name: string; size: number }[];
  profile: string;
  meetingDate: string;
}

export type UploadErrors = Partial<Record<'files' | 'profile' | 'meetingDate', string>>;

export function validateUpload(form: UploadForm): UploadErrors {
  const errors: UploadErrors = {};
  if (form.files.length === 0) errors.files = 'Choose at least one transcript file.';
  else if (form.files.length > MAX_BATCH_FILES)
    errors.files = `At most ${MAX_BATCH_FILES} files at once; you chose ${form.files.length}.`;
  else {
    const empty = form.files.find((file) => file.size === 0);
    const large = form.files.find((file) => file.size > MAX_FILE_BYTES);
    if (empty) errors.files = `${empty.name} is empty.`;
    else if (large) errors.files = `${large.name} is larger than 20 MB, the upload limit.`;
  }
  if (!form.profile) errors.profile = 'Choose a profile.';
  if (form.meetingDate && !MEETING_DATE.test(form.meetingDate))
    errors.meetingDate = 'Use the form YYYY-MM-DD.';
  else if (form.meetingDate && Number.isNaN(new Date(`${form.meetingDate}T00:00:00Z`).getTime()))
    errors.meetingDate = 'This is not a calendar date.';
  return errors;
}
