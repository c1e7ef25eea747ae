/** The VirusTotal v3 endpoints the emulator serves, each a small handler from request to Reply. */
import type { EmulatorState, UploadRecord } from './emulator-state';
import { ApiError, readBody, type Reply } from './http-io';
import { boundaryOf, MultipartError, parseMultipart, type MultipartPart } from './multipart';
import type { QuotaLimits, QuotaUsage } from './quota';
import { analysisDescriptor, analysisObject, fileObject, urlObject } from './reports';

/** POST /files refuses files above this (VirusTotal: 32 MB); bigger ones go through upload_url. */
export const MAX_DIRECT_UPLOAD_BYTES = 32 * 1024 * 1024;
/** The upload_url limit (650 MB). */
export const MAX_URL_UPLOAD_BYTES = 650 * 1024 * 1024;
/** Room for multipart boundaries and headers around the file. */
const MULTIPART_SLACK_BYTES = 64 * 1024;
/** Form bodies without a file (POST /urls). */
const MAX_FORM_BYTES = 1024 * 1024;

/** What a handler gets besides the request. */
export interface RouteContext {
  request: Request;
  apiKey: string;
  /** Decoded path parameters, in order. */
  params: string[];
  state: EmulatorState;
  /** http://127.0.0.1:PORT/api/v3 */
  baseUrl: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  quota: { limits: QuotaLimits; usage(apiKey: string): QuotaUsage };
}

type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle: Handler;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound = (what: string): ApiError => new ApiError(404, 'NotFoundError', `${what} not found`);
const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequestError', message);
const param = (ctx: RouteContext, i = 0): string => ctx.params[i] ?? '';

/** Shortens a client-supplied id before echoing it in a message. */
function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** A file id as VirusTotal accepts it: MD5, SHA-1 or SHA-256 in hex; SHA-512 is refused outright. */
function fileHash(id: string): string {
  const hex = id.toLowerCase();
  if (/^[0-9a-f]{128}$/.test(hex)) {
    throw new ApiError(400, 'InvalidArgumentError', 'SHA-512 is not accepted: use the MD5, SHA-1 or SHA-256 of the file');
  }
  if (!/^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/.test(hex)) {
    throw new ApiError(400, 'InvalidArgumentError', `"${clip(id)}" is not a valid MD5, SHA-1 or SHA-256`);
  }
  return hex;
}

/** Reads a multipart upload and returns its `file` part. */
async function readUpload(ctx: RouteContext, limit: number): Promise<MultipartPart> {
  const boundary = boundaryOf(ctx.request.headers.get('content-type') ?? undefined);
  if (boundary === null) throw badRequest('expected a multipart/form-data body with a "file" field');
  const read = await readBody(ctx.request, limit + MULTIPART_SLACK_BYTES);
  if (!read.ok && read.reason === 'aborted') throw badRequest('the request body ended early');
  const tooLarge = limit === MAX_DIRECT_UPLOAD_BYTES
    ? 'file too large for POST /files (32 MB at most): use /files/upload_url'
    : 'file too large (650 MB at most)';
  if (!read.ok) throw badRequest(tooLarge);
  let parts: MultipartPart[];
  try {
    parts = parseMultipart(read.body, boundary);
  } catch (error) {
    if (error instanceof MultipartError) throw badRequest(`malformed multipart body: ${error.message}`);
    throw error;
  }
  const file = parts.find((p) => p.name === 'file');
  if (file === undefined) throw badRequest('missing "file" field in the multipart body');
  if (file.data.length > limit) throw badRequest(tooLarge);
  return file;
}

async function upload(ctx: RouteContext, limit: number, via: UploadRecord['via']): Promise<Reply> {
  const file = await readUpload(ctx, limit);
  const id = ctx.state.upload(file.data, file.filename ?? '', via);
  return ok(analysisDescriptor(id, ctx.baseUrl));
}

/** Reads the `url` field of a urlencoded or multipart form. */
async function readUrlField(ctx: RouteContext): Promise<string | null> {
  const contentType = ctx.request.headers.get('content-type') ?? '';
  const read = await readBody(ctx.request, MAX_FORM_BYTES);
  if (!read.ok) throw badRequest(read.reason === 'too-large' ? 'form too large' : 'the request body ended early');
  const boundary = boundaryOf(contentType);
  if (boundary !== null) {
    try {
      return parseMultipart(read.body, boundary).find((p) => p.name === 'url')?.data.toString('utf8') ?? null;
    } catch (error) {
      if (error instanceof MultipartError) throw badRequest(`malformed multipart body: ${error.message}`);
      throw error;
    }
  }
  if (/^\s*application\/x-www-form-urlencoded/i.test(contentType)) {
    return new URLSearchParams(read.body.toString('utf8')).get('url');
  }
  throw badRequest('expected an application/x-www-form-urlencoded or multipart/form-data body with a "url" field');
}

/** A URL id: the SHA-256 VirusTotal returned, or the unpadded URL-safe base64 of the URL itself. */
function urlIdFrom(ctx: RouteContext, id: string): string {
  if (/^[0-9a-f]{64}$/i.test(id)) return id.toLowerCase();
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  try {
    return ctx.state.urlIdOf(decoded);
  } catch {
    throw new ApiError(400, 'InvalidArgumentError', `"${clip(id)}" is neither a URL SHA-256 nor the base64 of a URL`);
  }
}

const ROUTES: readonly Route[] = [
  {
    method: 'GET', pattern: /^\/api\/v3\/files\/upload_url$/,
    handle: (ctx) => ok({ data: `${ctx.origin}/_upload/${ctx.state.issueUploadToken()}` }),
  },
  {
    method: 'GET', pattern: /^\/api\/v3\/files\/([^/]+)$/,
    handle: (ctx) => {
      const file = ctx.state.findFile(fileHash(param(ctx)));
      if (file === undefined) throw notFound(`File "${clip(param(ctx))}"`);
      return ok(fileObject(file, ctx.baseUrl));
    },
  },
  { method: 'POST', pattern: /^\/api\/v3\/files$/, handle: (ctx) => upload(ctx, MAX_DIRECT_UPLOAD_BYTES, 'files') },
  {
    method: 'POST', pattern: /^\/api\/v3\/files\/([^/]+)\/analyse$/,
    handle: (ctx) => {
      const file = ctx.state.findFile(fileHash(param(ctx)));
      if (file === undefined) throw notFound(`File "${clip(param(ctx))}"`);
      return ok(analysisDescriptor(ctx.state.reanalyse(file), ctx.baseUrl));
    },
  },
  {
    method: 'GET', pattern: /^\/api\/v3\/analyses\/([^/]+)$/,
    handle: async (ctx) => {
      const snapshot = await ctx.state.poll(param(ctx));
      if (snapshot === null) throw notFound(`Analysis "${clip(param(ctx))}"`);
      return ok(analysisObject(snapshot, ctx.baseUrl));
    },
  },
  {
    method: 'GET', pattern: /^\/api\/v3\/analyses\/([^/]+)\/item$/,
    handle: (ctx) => {
      const analysis = ctx.state.analyses.get(param(ctx));
      if (analysis === undefined) throw notFound(`Analysis "${clip(param(ctx))}"`);
      if (analysis.status !== 'completed') throw notFound(`Item of analysis "${clip(analysis.id)}" (not completed yet)`);
      if (analysis.kind === 'url') {
        const url = ctx.state.findUrl(analysis.urlId);
        if (url === undefined) throw notFound(`URL "${analysis.urlId}"`);
        return ok(urlObject(url, ctx.baseUrl));
      }
      const file = ctx.state.findFile(analysis.facts.sha256);
      if (file === undefined) throw notFound(`File "${analysis.facts.sha256}"`);
      return ok(fileObject(file, ctx.baseUrl));
    },
  },
  {
    method: 'POST', pattern: /^\/api\/v3\/urls$/,
    handle: async (ctx) => {
      const url = await readUrlField(ctx);
      if (url === null || url.trim() === '') throw badRequest('missing "url" field');
      let id: string;
      try {
        id = await ctx.state.submitUrl(url);
      } catch (error) {
        if (error instanceof TypeError) throw new ApiError(400, 'InvalidArgumentError', `"${clip(url)}" is not a valid URL`);
        throw error;
      }
      return ok(analysisDescriptor(id, ctx.baseUrl));
    },
  },
  {
    method: 'GET', pattern: /^\/api\/v3\/urls\/([^/]+)$/,
    handle: (ctx) => {
      const url = ctx.state.findUrl(urlIdFrom(ctx, param(ctx)));
      if (url === undefined) throw notFound(`URL "${clip(param(ctx))}"`);
      return ok(urlObject(url, ctx.baseUrl));
    },
  },
  {
    method: 'GET', pattern: /^\/api\/v3\/users\/([^/]+)\/overall_quotas$/,
    handle: (ctx) => {
      if (param(ctx) !== ctx.apiKey) throw new ApiError(403, 'ForbiddenError', 'You are not allowed to see this user\'s quotas');
      const used = ctx.quota.usage(ctx.apiKey);
      const { perMinute, perDay, perMonth } = ctx.quota.limits;
      return ok({
        data: {
          api_requests_hourly: { user: { used: used.hour, allowed: perMinute * 60 } },
          api_requests_daily: { user: { used: used.day, allowed: perDay } },
          api_requests_monthly: { user: { used: used.month, allowed: perMonth } },
        },
      });
    },
  },
  {
    // Outside /api/v3, like VirusTotal's upload URLs, but still authenticated and counted.
    method: 'POST', pattern: /^\/_upload\/([^/]+)$/,
    handle: (ctx) => {
      const spent = ctx.state.spendUploadToken(param(ctx));
      if (spent === 'unknown') throw notFound('Upload URL');
      if (spent === 'used') throw badRequest('this upload URL was already used: ask /files/upload_url for a new one');
      return upload(ctx, MAX_URL_UPLOAD_BYTES, 'upload_url');
    },
  },
];

/** Finds the route for `method path` and runs it; unknown paths are 404, known paths with a wrong method 400. */
export async function dispatch(method: string, path: string, ctx: Omit<RouteContext, 'params'>): Promise<Reply> {
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    let params: string[];
    try {
      params = match.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      throw badRequest('malformed percent-encoding in the path');
    }
    return route.handle({ ...ctx, params });
  }
  if (pathMatched) throw badRequest(`Method ${method} is not allowed on ${path}`);
  throw notFound(`Resource "${clip(path)}"`);
}
