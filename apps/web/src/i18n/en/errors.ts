import type { ErrorCode } from '@inkwell/contracts';

/**
 * What to do next, per error code: appended to the server's own message, which says what went
 * wrong. One entry per code of the taxonomy, so a new code fails the typecheck until it has words.
 */
export const errorAdvice: Readonly<Record<ErrorCode, string>> = {
  validation_failed: 'Check the highlighted values and send again.',
  invalid_image: 'Choose a PNG or JPEG that opens in an image viewer.',
  bad_dimensions: 'Use an image between the allowed sizes.',
  preprocessing_failed: 'Try a clearer photo: one dark digit on light paper, filling most of the picture.',
  invalid_model: 'Export the model again as ONNX and check it loads.',
  unsafe_archive: 'Remove links and paths with ".." from the ZIP and upload it again.',
  invalid_archive: 'Create the ZIP again; this one cannot be opened.',
  unauthorized: 'Sign in again.',
  forbidden: 'Ask an administrator for access.',
  password_change_required: 'Choose a new password first.',
  not_found: 'It may have been deleted; reload the list.',
  request_timeout: 'The upload stalled; check your connection and send again.',
  timeout: 'Inkwell took too long; try again in a moment.',
  conflict: 'Reload to see the current state, then try again.',
  too_large: 'Choose a smaller file.',
  unsupported_media_type: 'Use a PNG or JPEG (or a ZIP of them for batches).',
  headers_too_large: 'Clear this site\'s cookies and sign in again.',
  rate_limited: '',
  internal_error: 'This is a fault in Inkwell; try again, and tell an administrator if it persists.',
  service_unavailable: 'Inkwell is busy or starting; try again shortly.',
};
