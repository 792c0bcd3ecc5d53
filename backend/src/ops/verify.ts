import { CheckReport } from './check-report.js';
import { checkDatabase } from './database-checks.js';
import { checkBackend, checkFrontend } from './http-checks.js';
import { runOpsCommand } from './ops-command.js';

/**
 * `nx run backend:verify [-- --backend-url URL] [--frontend-url URL]`: the deployment guide's
 * checks in one go, one PASS/FAIL line each; exit 1 when any failed. The HTTP checks run against
 * the URLs given (flags, or VERIFY_BACKEND_URL / VERIFY_FRONTEND_URL) and are skipped without them.
 */
runOpsCommand(['backend-url', 'frontend-url'], async ({ config, args }) => {
  const report = new CheckReport();
  await checkDatabase(report, config);
  if (args.backendUrl) await checkBackend(report, args.backendUrl);
  else report.skip('backend', 'no --backend-url (or VERIFY_BACKEND_URL) given');
  if (args.frontendUrl) await checkFrontend(report, args.frontendUrl);
  else report.skip('frontend', 'no --frontend-url (or VERIFY_FRONTEND_URL) given');
  console.log(report.summary('verify'));
  return report.ok ? 0 : 1;
});
