// The one contract (DESIGN.md "Processes and the one contract"): every BettiApi method and event,
// each with its runtime schema. IPC channels, HTTP routes, the preload bridge, the renderer's
// client and the CLI's direct transport are all derived from these records; nothing else
// defines a channel or route name. Each area declares its part in schemas/<area>.ts.
import type { z } from 'zod';
import { analysisEvents, analysisMethods } from './schemas/analysis.ts';
import { appEvents, appMethods } from './schemas/app.ts';
import type { MethodSpec } from './schemas/define.ts';
import { featuresMethods } from './schemas/features.ts';
import { inspectorMethods } from './schemas/inspector.ts';
import { libraryEvents, libraryMethods } from './schemas/library.ts';
import { modelEvents, modelMethods } from './schemas/model.ts';
import { persistenceMethods } from './schemas/persistence.ts';
import { personalMethods } from './schemas/personal.ts';
import { reviewMethods } from './schemas/review.ts';
import { settingsMethods } from './schemas/settings.ts';
import { writeEvents, writeMethods } from './schemas/write.ts';

export const methods = {
  ...analysisMethods,
  ...appMethods,
  ...featuresMethods,
  ...inspectorMethods,
  ...libraryMethods,
  ...modelMethods,
  ...persistenceMethods,
  ...personalMethods,
  ...reviewMethods,
  ...settingsMethods,
  ...writeMethods,
} satisfies Record<string, MethodSpec>;

export const events = {
  ...analysisEvents,
  ...appEvents,
  ...libraryEvents,
  ...modelEvents,
  ...writeEvents,
} satisfies Record<string, z.ZodType>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
/** What a caller passes (defaults not yet applied). */
export type RequestOf<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a handler receives (after the schema applied defaults). */
export type ParsedRequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;

/** The API as callers see it: every method async. */
export type BettiApi = { [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>> };

export interface BettiEvents {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
}

/** What the renderer, the CLI and tests hold: `window.betti` has exactly this type. */
export type BettiClient = BettiApi & BettiEvents;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

/** Electron IPC channel of a method. */
export const channelOf = (name: MethodName): string => `betti:${name}`;
/** Electron IPC channel on which the main process pushes events. */
export const EVENT_CHANNEL = 'betti:event';
/** HTTP route of a method (`betti serve`): POST with the JSON request as body. */
export const routeOf = (name: MethodName): string => `/api/${name}`;
/** HTTP route of the server-sent event stream. */
export const EVENTS_ROUTE = '/api/events';

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
