// What other features may use of vetting: approval mode's applications (registration, sign-in).
export {
  type Answer,
  applicationGate,
  checkAnswers,
  eraseDeclinedApplicant,
  submitApplication,
} from './applications.js';
