/** The model strategies, their features and their model file format. */
export {
  mlMomentum,
  mlMeanReversion,
  mlBreakout,
  MlMomentumParams,
  MlMeanReversionParams,
  MlBreakoutParams,
  type ModelParams,
  type ModelState,
} from './model-strategy.js';
export {
  MOMENTUM_FEATURES,
  MEAN_REVERSION_FEATURES,
  BREAKOUT_FEATURES,
  type FeatureSet,
} from './features.js';
export {
  LOGISTIC_FORMAT,
  LogisticModelSchema,
  type LogisticModel,
  probabilityOfOne,
} from './logistic-model.js';
export {
  TREES_FORMAT,
  TreeModelSchema,
  type TreeModel,
  treesProbabilityOfOne,
} from './tree-model.js';
export { ModelSchema, type Model, modelProbability, predict } from './model-file.js';
export { loadModel, parseModel } from './load-model.js';
export { trainLogistic, TRAIN_DEFAULTS, type TrainOptions } from './train-logistic.js';
