/** Every network reads one-channel 28x28 digits and scores ten classes. */
export const IMAGE_SHAPE = [1, 28, 28] as const;
export const CLASSES = 10;
