const SECRET_SETTINGS = Symbol('scriptripper:secret-settings');

type WithSecrets = { [SECRET_SETTINGS]?: Set<string> };

/** Marks a setting whose value must never be printed (error messages show `***`). */
export function Secret(): PropertyDecorator {
  return (prototype, property) => {
    const target = prototype as WithSecrets;
    // Copy the parent's set so a subclass adding a secret does not change its base class.
    const secrets = new Set(target[SECRET_SETTINGS] ?? []);
    secrets.add(String(property));
    Object.defineProperty(target, SECRET_SETTINGS, { value: secrets, configurable: true });
  };
}

export function isSecret(configClass: abstract new () => object, setting: string): boolean {
  return (configClass.prototype as WithSecrets)[SECRET_SETTINGS]?.has(setting) ?? false;
}
