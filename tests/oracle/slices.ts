// Which cases each oracle run uses.

import type { OracleCase } from './cases';
import { generateCases } from './generate';
import { HOST_CASES, KNOWN_CASES, PSL_CASES } from './known';
import { realWorldCases } from './real-world';

/** The seed of the full run (`ORACLE_SEED` overrides it). */
export const FULL_SEED = Number(process.env.ORACLE_SEED ?? 16);
/** Generated cases in the full run (`ORACLE_CASES` overrides it). */
export const FULL_COUNT = Number(process.env.ORACLE_CASES ?? 400);

/** The full run: every fixed case, the real-world values and the generated ones. */
export function fullCases(): OracleCase[] {
  return [...KNOWN_CASES, ...HOST_CASES, ...PSL_CASES, ...realWorldCases(), ...generateCases(FULL_SEED, FULL_COUNT)];
}

/** The quick slice in `npm test`: the known differences, the host rules, a few real-world values and generated cases. */
export function quickCases(): OracleCase[] {
  return [
    ...KNOWN_CASES,
    ...HOST_CASES.slice(0, 4),
    ...PSL_CASES.slice(0, 2),
    ...realWorldCases().slice(0, 3),
    // One real-world case of each family observed through a trigger (COEP, Permissions-Policy; NEL is above).
    ...['coep', 'permissions-policy-violation'].flatMap((t) => realWorldCases().find((c) => c.reportType === t) ?? []),
    ...generateCases(7, 6),
  ];
}
