/**
 * Limits of a whole Sentinel deployment, which no single rule exceeds: Azure Resource Manager
 * deploys at most 800 resources and 4 MB per template (`azuredeploy.json` holds the parser and
 * every rule), and a Sentinel workspace runs at most 512 analytics rules, of which at most 50
 * near-real-time ones. Each is a warning (DET5004), not an error: the rules' own templates
 * (`analytics/*.json`, Sentinel Repositories) deploy one by one, and the workspace limits
 * count rules this compile does not know of.
 */
import { Codes } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export const DEPLOYMENT_LIMITS = {
  /** Resources in one ARM template. */
  templateResources: 800,
  /** Bytes of one ARM template. */
  templateBytes: 4 * 1024 * 1024,
  /** Analytics rules in one workspace. */
  workspaceRules: 512,
  /** Near-real-time analytics rules in one workspace. */
  workspaceNrtRules: 50,
} as const;

/** What a compile deploys: the rules, the NRT ones among them, and the size of `azuredeploy.json`. */
export interface DeploymentSize {
  readonly rules: number;
  readonly nrtRules: number;
  readonly templateBytes: number;
}

function warning(message: string, hint: string): Diagnostic {
  return { code: Codes.DeploymentLimit.code, severity: Codes.DeploymentLimit.severity, message, hint };
}

/** DET5004 for every deployment limit `size` exceeds. */
export function checkDeployment(size: DeploymentSize): Diagnostic[] {
  const out: Diagnostic[] = [];
  const L = DEPLOYMENT_LIMITS;
  const resources = size.rules + 1;
  const perRule = 'deploy the rules\' own templates (`sentinel/analytics/*.json`, or Sentinel Repositories), or compile the detections in smaller sets, each with its own --out';
  if (resources > L.templateResources) {
    out.push(warning(`sentinel/azuredeploy.json holds ${resources} resources (the parser and ${size.rules} rules); Azure Resource Manager deploys at most ${L.templateResources} per template`, perRule));
  }
  if (size.templateBytes > L.templateBytes) {
    out.push(warning(`sentinel/azuredeploy.json is ${size.templateBytes} bytes; Azure Resource Manager deploys templates of at most 4 MB (${L.templateBytes} bytes)`, perRule));
  }
  if (size.rules > L.workspaceRules) {
    out.push(warning(`${size.rules} analytics rules are compiled; a Sentinel workspace runs at most ${L.workspaceRules}`, 'deploy them to several workspaces, or keep fewer detections per workspace'));
  }
  if (size.nrtRules > L.workspaceNrtRules) {
    out.push(warning(`${size.nrtRules} rules are near-real-time (\`schedule: realtime\` filters); a Sentinel workspace runs at most ${L.workspaceNrtRules}`, 'give some of them `schedule: every 5m`'));
  }
  return out;
}
