export const cardClass = "rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900";
export const linkClass = "font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-400";
