import { readFileSync } from 'node:fs';
import { Injectable } from '@nestjs/common';
import { AppConfig, ConfigError } from '../config/app-config';

/** A commune as Etalab's `@etalab/decoupage-administratif` publishes it (only the fields read here). */
interface EtalabCommune {
  code: string;
  nom: string;
  type: string;
  codesPostaux?: string[];
}

interface EtalabEpci {
  code: string;
  nom: string;
  membres: Array<{ code: string; nom: string }>;
}

/** An INSEE commune code's shape (42218, 2A004), as the columns' CHECK constraints have it. */
export const COMMUNE_CODE = /^[0-9][0-9AB][0-9]{3}$/;

export interface Commune {
  /** INSEE code, e.g. 42218. */
  code: string;
  name: string;
  /** Whether the commune belongs to the configured metropolis (its EPCI). */
  inMetropolis: boolean;
}

interface Index {
  byCode: Map<string, string>;
  byPostcode: Map<string, string[]>;
  metropolis: { siren: string; name: string; communes: Set<string> };
}

/**
 * The communes of France and the metropolis' territory, from Etalab's maintained data (communes,
 * postcodes, EPCI membership), never a hand-written list. Loaded once, on first use (≈ 12 MB of JSON,
 * ≈ 0.2 s), into two small maps. The metropolis is the EPCI whose SIREN is METROPOLIS_EPCI_SIREN.
 */
@Injectable()
export class Territory {
  private index: Index | null = null;

  constructor(private readonly config: AppConfig) {}

  /** The current communes a postcode serves, by name; empty for an unknown postcode. */
  communesForPostcode(postcode: string): Commune[] {
    const index = this.load();
    return (index.byPostcode.get(postcode) ?? []).map((code) => this.describe(code, index));
  }

  /** A commune by INSEE code, or null when Etalab's data does not know it. */
  commune(code: string): Commune | null {
    const index = this.load();
    return index.byCode.has(code) ? this.describe(code, index) : null;
  }

  /** The codes of the communes whose name contains `text`, accents, case and hyphens aside (for searches), at most `limit`. */
  communeCodesNamed(text: string, limit = 2000): string[] {
    const wanted = folded(text.trim());
    if (wanted.length < 2) return [];
    const codes: string[] = [];
    for (const [code, name] of this.load().byCode) {
      if (folded(name).includes(wanted)) codes.push(code);
      if (codes.length >= limit) break;
    }
    return codes;
  }

  isInMetropolis(code: string): boolean {
    return this.load().metropolis.communes.has(code);
  }

  /** The metropolis' member communes' INSEE codes, e.g. for `= ANY($n)` in a figures query. */
  metropolisCommuneCodes(): string[] {
    return [...this.load().metropolis.communes].sort();
  }

  /** The EPCI as Etalab names it (e.g. "Saint-Étienne Métropole") and its SIREN. */
  metropolis(): { siren: string; name: string } {
    const { siren, name } = this.load().metropolis;
    return { siren, name };
  }

  private describe(code: string, index: Index): Commune {
    return { code, name: index.byCode.get(code)!, inMetropolis: index.metropolis.communes.has(code) };
  }

  private load(): Index {
    if (this.index) return this.index;
    const communes = readJson<EtalabCommune[]>('communes.json');
    const epcis = readJson<EtalabEpci[]>('epci.json');
    const byCode = new Map<string, string>();
    const byPostcode = new Map<string, string[]>();
    for (const commune of communes) {
      if (commune.type !== 'commune-actuelle') continue;
      byCode.set(commune.code, commune.nom);
      for (const postcode of commune.codesPostaux ?? []) {
        const codes = byPostcode.get(postcode) ?? [];
        codes.push(commune.code);
        byPostcode.set(postcode, codes);
      }
    }
    const collator = new Intl.Collator('fr');
    for (const codes of byPostcode.values()) codes.sort((a, b) => collator.compare(byCode.get(a)!, byCode.get(b)!));
    const siren = this.config.metropolisEpciSiren;
    const epci = findEpci(epcis, siren);
    this.index = { byCode, byPostcode, metropolis: { siren, name: epci.nom, communes: new Set(epci.membres.map((member) => member.code)) } };
    return this.index;
  }
}

/**
 * Stops the start when METROPOLIS_EPCI_SIREN names no EPCI of Etalab's data (main.ts reports the
 * ConfigError in one line); reads the EPCI file alone, before the service starts.
 */
export function checkMetropolis(config: Pick<AppConfig, 'metropolisEpciSiren'>): void {
  findEpci(readJson<EtalabEpci[]>('epci.json'), config.metropolisEpciSiren);
}

function findEpci(epcis: EtalabEpci[], siren: string): EtalabEpci {
  const epci = epcis.find((candidate) => candidate.code === siren);
  if (!epci)
    throw new ConfigError(
      `METROPOLIS_EPCI_SIREN ${siren} is no EPCI (métropole, communauté urbaine, d’agglomération or de communes) in @etalab/decoupage-administratif: give the SIREN of the metropolis' EPCI, e.g. 244200770 for Saint-Étienne Métropole`,
    );
  return epci;
}

/** "Saint-Étienne" → "saint etienne": what a search compares. */
function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s'’-]+/g, ' ')
    .toLowerCase();
}

/** The package's own index.js reads its files relative to the working directory, so the JSON is read directly. */
function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8')) as T;
}
