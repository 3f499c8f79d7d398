/** A form's failure, announced as soon as it appears. Renders the live region even when empty so
 * screen readers pick up the first message too. */
export function FormError({ message }: { readonly message: string | null }) {
  return (
    <div role="alert" className={message ? 'form-error' : undefined}>
      {message}
    </div>
  );
}
