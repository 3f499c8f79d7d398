import { defineFamily } from './family';

/** Kernel SVM (one-vs-one SMO, Platt-calibrated). Training is quadratic in the digits: use `max_train_samples`. */
export const svmFamily = defineFamily({
  name: 'svm',
  description: 'Support vector machine on pixels / 255: rbf, linear or poly kernel, one-vs-one, probabilities from pairwise Platt sigmoids',
  toRecipe: (p, run) => ({
    family: 'svm',
    name: run.name,
    seed: run.seed,
    data: run.data,
    params: { kernel: p.kernel, C: p.C, gamma: p.gamma, degree: p.degree, coef0: p.coef0 },
  }),
});
