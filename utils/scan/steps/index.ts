/** Which module runs each durable step of a scan (see ScanStep in scan-record.ts). */
import type { ScanStep } from '../scan-record';
import { addressLookupStep, addressSubmitStep, firstStep } from './address-steps';
import { analysisStep } from './analysis-step';
import { lookupStep } from './lookup-step';
import { readStep } from './read-step';
import type { Step } from './step';
import { uploadStep } from './upload-step';
import { urlReportStep, urlSubmitStep } from './url-fallback-steps';

export const STEPS: Record<Exclude<ScanStep, 'finished'>, Step> = {
  queued: firstStep,
  reading: readStep,
  lookup: lookupStep,
  upload: uploadStep,
  analysis: analysisStep,
  'url-submit': urlSubmitStep,
  'url-analysis': analysisStep,
  'url-report': urlReportStep,
  'address-lookup': addressLookupStep,
  'address-submit': addressSubmitStep,
  'address-analysis': analysisStep,
};
