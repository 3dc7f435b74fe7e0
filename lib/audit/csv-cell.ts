// A CSV cell that a spreadsheet will show as text: quoted when it holds a
// separator, quote or line break, and prefixed with an apostrophe when it starts
// with a character that Excel, LibreOffice or Sheets would read as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
