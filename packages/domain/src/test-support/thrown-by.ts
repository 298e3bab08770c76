// Catches the error a call throws, for tests that assert on its fields (code, path, message).
// Not part of the built package; takes the error class as a parameter so it imports nothing from
// the subpaths.

/**
 * The `errorClass` instance `call` throws. Rethrows anything else, and fails when nothing is
 * thrown, so a test reading the result cannot pass by accident.
 */
export function thrownBy<E extends Error>(
  errorClass: abstract new (...args: never[]) => E,
  call: () => unknown,
): E {
  try {
    call();
  } catch (error) {
    if (error instanceof errorClass) return error;
    throw error;
  }
  throw new Error(`expected a ${errorClass.name}, but nothing was thrown`);
}
