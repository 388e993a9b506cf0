// The subset of managed-login `Settings` and `Assets` that Tessera applies (the rest is stored
// and returned unchanged). Colours are Cognito's `RRGGBB` / `RRGGBBAA` hex strings.
//
//   components.pageBackground.lightMode.color              page background colour
//   components.form.lightMode.backgroundColor / borderColor the card around the form
//   components.pageText.lightMode.headingColor / bodyColor  headings and text
//   components.primaryButton.lightMode.defaults.backgroundColor / textColor   the submit button
//   components.primaryButton.lightMode.hover.backgroundColor                  ... on hover
//   Assets: PAGE_BACKGROUND    background image of the page
//           FORM_LOGO (else PAGE_HEADER_LOGO)   the logo
// Only values that parse as colours are used; asset URLs are Tessera's own.
import type { Branding } from '../branding.js';

const HEX = /^#?([0-9a-f]{6}|[0-9a-f]{8})$/i;

function colour(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = HEX.exec(v.trim());
  return m ? `#${m[1].toLowerCase()}` : undefined;
}

function at(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export interface BrandingLook {
  css?: string;
  logoCategory?: 'FORM_LOGO' | 'PAGE_HEADER_LOGO';
}

/** CSS for the branding (asset URLs from `assetUrl(category)`), and which asset is the logo. */
export function brandingLook(b: Branding, assetUrl: (category: string) => string): BrandingLook {
  if (b.useCognitoValues) return {};
  const s = b.settings;
  const rules: string[] = [];
  const rule = (selector: string, decls: [string, string | undefined][]) => {
    const body = decls.filter(([, v]) => v).map(([p, v]) => `${p}: ${v};`);
    if (body.length) rules.push(`${selector} { ${body.join(' ')} }`);
  };
  const hasAsset = (c: string) => b.assets.some((a) => a.Category === c && a.Bytes);
  rule('.background-customizable', [
    ['background-color', colour(at(s, 'components.pageBackground.lightMode.color'))],
    ['background-image', hasAsset('PAGE_BACKGROUND') ? `url("${assetUrl('PAGE_BACKGROUND')}")` : undefined],
    ['background-size', hasAsset('PAGE_BACKGROUND') ? 'cover' : undefined],
  ]);
  rule('.card', [
    ['background-color', colour(at(s, 'components.form.lightMode.backgroundColor'))],
    ['border-color', colour(at(s, 'components.form.lightMode.borderColor'))],
  ]);
  rule('h1', [['color', colour(at(s, 'components.pageText.lightMode.headingColor'))]]);
  rule('.textDescription-customizable, .label-customizable', [['color', colour(at(s, 'components.pageText.lightMode.bodyColor'))]]);
  rule('.submitButton-customizable', [
    ['background-color', colour(at(s, 'components.primaryButton.lightMode.defaults.backgroundColor'))],
    ['color', colour(at(s, 'components.primaryButton.lightMode.defaults.textColor'))],
  ]);
  rule('.submitButton-customizable:hover', [['background-color', colour(at(s, 'components.primaryButton.lightMode.hover.backgroundColor'))]]);
  const logoCategory = hasAsset('FORM_LOGO') ? 'FORM_LOGO' : hasAsset('PAGE_HEADER_LOGO') ? 'PAGE_HEADER_LOGO' : undefined;
  return { css: rules.length ? rules.join('\n') : undefined, logoCategory };
}
