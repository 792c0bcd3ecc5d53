import { HttpClient, HttpEventType, HttpParams, type HttpEvent } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  ChunkPage,
  KnowledgeEntryDetail,
  KnowledgeIndex,
  KnowledgeIndexQuery,
  KnowledgeMetadata,
  KnowledgeUpdate,
  RetryResponse,
  SearchRequest,
  SearchResponse,
  TextOrUrlSources,
  Vocabulary,
} from '@business-brain/contract';
import { filter, map, type Observable } from 'rxjs';

import { APP_CONFIG, apiUrl } from '../app-config';

/** Progress of a multipart upload, or its final answer. */
export type UploadEvent<T> = { kind: 'progress'; loaded: number; total: number } | { kind: 'done'; body: T };

/** Typed calls of the knowledge API. Every tenant-owned call takes the tenant as its first argument. */
@Injectable({ providedIn: 'root' })
export class KnowledgeApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(APP_CONFIG);

  private url(path: string): string {
    return apiUrl(this.config, `routes/knowledge/${path}`);
  }

  private tenantUrl(tenant: string, path = ''): string {
    return this.url(`${encodeURIComponent(tenant)}${path ? `/${path}` : ''}`);
  }

  vocabulary(): Observable<Vocabulary> {
    return this.http.get<Vocabulary>(this.url('vocabulary'));
  }

  health(): Observable<unknown> {
    return this.http.get(this.url('health'));
  }

  index(tenant: string, query: KnowledgeIndexQuery): Observable<KnowledgeIndex> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params = params.set(key, String(value));
    }
    return this.http.get<KnowledgeIndex>(this.tenantUrl(tenant, 'index'), { params });
  }

  get(tenant: string, id: string): Observable<KnowledgeEntryDetail> {
    return this.http.get<KnowledgeEntryDetail>(this.tenantUrl(tenant, encodeURIComponent(id)));
  }

  chunks(tenant: string, id: string, query: { limit: number; offset: number; document_id?: string }): Observable<ChunkPage> {
    let params = new HttpParams().set('limit', query.limit).set('offset', query.offset);
    if (query.document_id) params = params.set('document_id', query.document_id);
    return this.http.get<ChunkPage>(this.tenantUrl(tenant, `${encodeURIComponent(id)}/chunks`), { params });
  }

  /** Creates an entry from a URL or pasted text. */
  create(tenant: string, metadata: KnowledgeMetadata, sources: TextOrUrlSources): Observable<KnowledgeEntryDetail> {
    return this.http.post<KnowledgeEntryDetail>(this.tenantUrl(tenant), { ...metadata, ...sources });
  }

  /** Creates an entry from files (one multipart request), reporting upload progress. */
  createWithFiles(tenant: string, metadata: KnowledgeMetadata, files: readonly File[]): Observable<UploadEvent<KnowledgeEntryDetail>> {
    const form = new FormData();
    form.append('title', metadata.title);
    form.append('type', metadata.type);
    form.append('intent', metadata.intent);
    for (const tag of metadata.tags ?? []) form.append('tags', tag);
    for (const file of files) form.append('file', file, file.name);
    return this.upload(this.tenantUrl(tenant), form);
  }

  addSources(tenant: string, id: string, sources: TextOrUrlSources): Observable<KnowledgeEntryDetail> {
    return this.http.post<KnowledgeEntryDetail>(this.tenantUrl(tenant, `${encodeURIComponent(id)}/documents`), sources);
  }

  addFiles(tenant: string, id: string, files: readonly File[]): Observable<UploadEvent<KnowledgeEntryDetail>> {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    return this.upload(this.tenantUrl(tenant, `${encodeURIComponent(id)}/documents`), form);
  }

  update(tenant: string, id: string, change: KnowledgeUpdate): Observable<KnowledgeEntryDetail> {
    return this.http.patch<KnowledgeEntryDetail>(this.tenantUrl(tenant, encodeURIComponent(id)), change);
  }

  delete(tenant: string, id: string): Observable<void> {
    return this.http.delete<void>(this.tenantUrl(tenant, encodeURIComponent(id)));
  }

  removeDocument(tenant: string, id: string, documentId: string): Observable<void> {
    return this.http.delete<void>(this.tenantUrl(tenant, `${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}`));
  }

  retry(tenant: string, id: string): Observable<RetryResponse> {
    return this.http.post<RetryResponse>(this.tenantUrl(tenant, `${encodeURIComponent(id)}/retry`), {});
  }

  search(tenant: string, request: SearchRequest): Observable<SearchResponse> {
    return this.http.post<SearchResponse>(this.tenantUrl(tenant, 'search'), request);
  }

  /** URL of the answer stream (read with fetch: server-sent events over POST). */
  answerUrl(tenant: string): string {
    return this.tenantUrl(tenant, 'answer');
  }

  /** URL of an entry's status stream. */
  eventsUrl(tenant: string, id: string): string {
    return this.tenantUrl(tenant, `${encodeURIComponent(id)}/events`);
  }

  private upload<T>(url: string, form: FormData): Observable<UploadEvent<T>> {
    return this.http.post<T>(url, form, { reportProgress: true, observe: 'events' }).pipe(
      filter((event: HttpEvent<T>) => event.type === HttpEventType.UploadProgress || event.type === HttpEventType.Response),
      map((event): UploadEvent<T> =>
        event.type === HttpEventType.UploadProgress
          ? { kind: 'progress', loaded: event.loaded, total: event.total ?? 0 }
          : { kind: 'done', body: (event as { body: T }).body },
      ),
    );
  }
}
