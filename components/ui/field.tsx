import type { InputHTMLAttributes } from "react";

type Props = InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; hint?: string };

/** A labelled input whose errors are announced and tied to it for screen readers. */
export function Field({ label, name, errors, hint, id, className = "", ...rest }: Props) {
  const inputId = id ?? `field-${name}`;
  const describedBy = [errors?.length ? `${inputId}-error` : null, hint ? `${inputId}-hint` : null].filter(Boolean).join(" ");
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={inputId} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={describedBy || undefined}
        className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-zinc-400 aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
        {...rest}
      />
      {hint ? (
        <p id={`${inputId}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        // Every problem with the value at once, so one submit shows all there is to fix.
        <div id={`${inputId}-error`} className="space-y-0.5 text-sm text-red-600 dark:text-red-400">
          {errors.map((error) => (
            <p key={error}>{error}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
