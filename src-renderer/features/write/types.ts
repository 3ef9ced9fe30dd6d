// Types of the write area, from the contract.
import type { EventPayloadOf, ResponseOf } from '../../../src-main/api/contract.ts';

export type PlanResponse = ResponseOf<'write.plan'>;
export type WritePlan = PlanResponse['plan'];
export type PreviewResult = PlanResponse['preview'];
export type FilePreview = PreviewResult['files'][number];
export type FieldChange = FilePreview['fields'][number];
export type ApplyResult = ResponseOf<'write.apply'>;
export type FileResult = ApplyResult['results'][number];
export type BatchSummary = ResponseOf<'write.history'>['batches'][number];
export type WriteProgress = EventPayloadOf<'write.progress'>;
export type WriteSettings = ResponseOf<'settings.get'>['write'];
