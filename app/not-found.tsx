import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 p-8 text-center">
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">It does not exist, or you do not have access to it.</p>
      <Link href="/" className="text-sm font-medium text-indigo-600 underline dark:text-indigo-400">
        Go to your workspaces
      </Link>
    </main>
  );
}
