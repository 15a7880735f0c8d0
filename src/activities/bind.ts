// Activities are plain functions of their input; their collaborators come first and are bound once,
// when the worker builds its activities (createActivities).

/** `fn` with its first argument fixed: an activity of one input. */
export const using =
  <D, I, R>(dependency: D, fn: (dependency: D, input: I) => Promise<R>) =>
  (input: I): Promise<R> =>
    fn(dependency, input);
