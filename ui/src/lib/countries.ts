// Catalogue products name countries by ISO 3166 alpha-3 code; these are the ones our
// resellers sell for most. Others show their code.

const COUNTRY_NAMES: Record<string, string> = {
  NGA: 'Nigeria',
  GBR: 'United Kingdom',
  UGA: 'Uganda',
  USA: 'United States',
  ARE: 'United Arab Emirates',
  SAU: 'Saudi Arabia',
  ISR: 'Israel',
  JOR: 'Jordan',
  KWT: 'Kuwait',
  OMN: 'Oman',
  GHA: 'Ghana',
  KEN: 'Kenya',
  ZAF: 'South Africa',
  RWA: 'Rwanda',
  TZA: 'Tanzania',
};

export function countryName(code: string): string | null {
  return COUNTRY_NAMES[code.toUpperCase()] ?? null;
}

/** "Nigeria (NGA)", or the bare code when we have no name for it. */
export function countryLabel(code: string): string {
  const name = countryName(code);
  return name ? `${name} (${code.toUpperCase()})` : code.toUpperCase();
}
