/** The LLM vendors the worker can call, and the built-in analyzer as the last resort of a chain. */
export const LLM_VENDORS = ['openai', 'anthropic', 'gemini'] as const;
export type LlmVendor = (typeof LLM_VENDORS)[number];

/** One link of a provider chain: a vendor and its model, or the offline analyzer. */
export type ProviderTarget =
  { readonly vendor: LlmVendor; readonly model: string } | { readonly vendor: 'offline' };

export const OFFLINE_TARGET: ProviderTarget = { vendor: 'offline' };

/** A chain the settings could not be read into, with what is wrong. */
export class ProviderSettingError extends Error {
  override readonly name = 'ProviderSettingError';
}

/**
 * Reads a provider chain, `openai:gpt-4o-mini,anthropic:claude-3-5-haiku-latest,offline`:
 * comma-separated, tried in this order. Empty means the offline analyzer alone.
 */
export function parseProviderChain(value: string | undefined): readonly ProviderTarget[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return [OFFLINE_TARGET];
  return entries.map(parseTarget);
}

function parseTarget(entry: string): ProviderTarget {
  if (entry === 'offline') return OFFLINE_TARGET;
  const separator = entry.indexOf(':');
  const vendor = separator < 0 ? entry : entry.slice(0, separator);
  const model = separator < 0 ? '' : entry.slice(separator + 1).trim();
  if (!LLM_VENDORS.includes(vendor as LlmVendor)) {
    throw new ProviderSettingError(
      `"${entry}" names no provider: use offline, or ${LLM_VENDORS.map((name) => `${name}:<model>`).join(', ')}`,
    );
  }
  if (!/^[A-Za-z0-9][\w.\-/@]*$/.test(model)) {
    throw new ProviderSettingError(`"${entry}" needs a model after the colon, e.g. ${vendor}:<model>`);
  }
  return { vendor: vendor as LlmVendor, model };
}

/**
 * Reads the per-profile chains, `meeting@2=anthropic:claude-3-5-haiku-latest;talk=gemini:gemini-2.0-flash`:
 * `;`-separated `key[@version]=chain`. A versioned entry wins over the profile's plain key.
 */
export function parseChainsByProfile(
  value: string | undefined,
): ReadonlyMap<string, readonly ProviderTarget[]> {
  const chains = new Map<string, readonly ProviderTarget[]>();
  for (const rule of (value ?? '').split(';').map((part) => part.trim())) {
    if (rule === '') continue;
    const separator = rule.indexOf('=');
    const profile = separator < 0 ? '' : rule.slice(0, separator).trim();
    if (!/^[a-z0-9][a-z0-9-]*(@[1-9]\d*)?$/.test(profile)) {
      throw new ProviderSettingError(`"${rule}" must read <profile key>[@<version>]=<provider chain>`);
    }
    if (chains.has(profile)) throw new ProviderSettingError(`"${profile}" is given twice`);
    const chain = rule.slice(separator + 1);
    if (chain.trim() === '') throw new ProviderSettingError(`"${rule}" names no provider`);
    chains.set(profile, parseProviderChain(chain));
  }
  return chains;
}

/** The chain a profile version runs through: its versioned rule, its key's rule, else the default chain. */
export function chainFor(
  profile: { key: string; version: number },
  defaults: readonly ProviderTarget[],
  byProfile: ReadonlyMap<string, readonly ProviderTarget[]>,
): readonly ProviderTarget[] {
  return byProfile.get(`${profile.key}@${profile.version}`) ?? byProfile.get(profile.key) ?? defaults;
}

/** How a target is named in metrics and logs: `openai:gpt-4o-mini`, `offline`. */
export function targetName(target: ProviderTarget): string {
  return target.vendor === 'offline' ? 'offline' : `${target.vendor}:${target.model}`;
}
