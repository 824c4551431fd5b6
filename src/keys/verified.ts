// Typed results of verification: a value of type `Verified<T>` was produced by one of this module's verify
// functions, so an API that needs a checked record (sealing a grant, opening one) can demand it in its signature.
declare const verifiedBrand: unique symbol;

/** `T` after its signatures and chain to a pinned root were checked. Only src/keys creates these. */
export type Verified<T> = T & { readonly [verifiedBrand]: true };

/** Marks a value as verified. Call only at the end of a verify function that has checked everything it claims. */
export function markVerified<T extends object>(value: T): Verified<T> {
  // The brand exists only in the type system; the checks precede this call. A frozen shallow copy, so a caller
  // cannot edit the checked value afterwards through its own reference.
  return Object.freeze({ ...value }) as Verified<T>;
}
