/** A FormData with one value per field, as a browser posts a form to a server action. */
export const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
