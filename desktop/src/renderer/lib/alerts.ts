import { type AlertEventStatus, contracts, type StreamEventData } from '@syntra/shared';
import { useQuery } from '@tanstack/react-query';
import { create } from 'zustand';
import { call } from './api-client.js';
import { queryClient } from './query-client.js';
import { onStreamEvent } from './stream.js';

export const alertKeys = {
  all: ['alerts'] as const,
  events: (orgId: string, status: string, ruleId: string) => ['alerts', 'events', orgId, status, ruleId] as const,
  open: (orgId: string) => ['alerts', 'open', orgId] as const,
  event: (id: string) => ['alerts', 'event', id] as const,
  rules: (orgId: string) => ['alerts', 'rules', orgId] as const,
  channels: (orgId: string) => ['alerts', 'channels', orgId] as const,
  silences: (orgId: string) => ['alerts', 'silences', orgId] as const,
  timeline: (kind: 'service' | 'server', id: string, from = '', to = '') => ['alerts', 'timeline', kind, id, from, to] as const,
};

export function useAlertEvents(orgId: string | null, status: AlertEventStatus | '', ruleId = '') {
  return useQuery({
    queryKey: alertKeys.events(orgId ?? '', status, ruleId),
    queryFn: () => call(contracts.getAlertEvents, { query: { limit: 200, ...(status ? { status } : {}), ...(ruleId ? { rule_id: ruleId } : {}) } }),
    enabled: !!orgId,
  });
}

/** Firing events of the organisation: the bell, the tray and the overview read this one entry. */
export function useOpenAlerts(orgId: string | null) {
  return useQuery({ queryKey: alertKeys.open(orgId ?? ''), queryFn: () => call(contracts.getAlertEvents, { query: { status: 'firing', limit: 200 } }), enabled: !!orgId });
}

export function useAlertEvent(id: string) {
  return useQuery({ queryKey: alertKeys.event(id), queryFn: () => call(contracts.getAlertEventsByEventId, { params: { eventId: id } }) });
}

export function useAlertRules(orgId: string | null) {
  return useQuery({ queryKey: alertKeys.rules(orgId ?? ''), queryFn: () => call(contracts.getAlertRules, {}), enabled: !!orgId });
}

export function useChannels(orgId: string | null) {
  return useQuery({ queryKey: alertKeys.channels(orgId ?? ''), queryFn: () => call(contracts.getNotificationChannels, {}), enabled: !!orgId });
}

/** A service's or server's timeline over [from, to) (ISO; the server's default: the last 24 h). */
export function useTimeline(kind: 'service' | 'server', id: string, window: { from?: string | undefined; to?: string | undefined } = {}) {
  const query = { ...(window.from ? { from: window.from } : {}), ...(window.to ? { to: window.to } : {}) };
  return useQuery({
    queryKey: alertKeys.timeline(kind, id, window.from, window.to),
    queryFn: () =>
      kind === 'service'
        ? call(contracts.getServicesByServiceIdTimeline, { params: { serviceId: id }, query })
        : call(contracts.getServersByServerIdTimeline, { params: { serverId: id }, query }),
    placeholderData: (previous) => previous,
  });
}

export type AlertNews = StreamEventData<'alert.event'>;

interface AlertFeed {
  /** Alert events heard live since the bell was last opened, newest first. */
  unread: AlertNews[];
  /** Toasts on screen (firing events), newest first. */
  toasts: AlertNews[];
  markAllRead(): void;
  dismiss(eventId: string): void;
}

const MAX_UNREAD = 50;
const TOAST_MS = 8000;

export const useAlertFeed = create<AlertFeed>((set) => ({
  unread: [],
  toasts: [],
  markAllRead: () => set({ unread: [] }),
  dismiss: (eventId) => set((s) => ({ toasts: s.toasts.filter((t) => t.event_id !== eventId) })),
}));

/** Live alert events: unread in the bell, a toast when one starts firing, and the alert queries refreshed. */
export function followAlertEvents(): () => void {
  return onStreamEvent((event) => {
    if (event.type !== 'alert.event') return;
    const news = event.data as AlertNews;
    useAlertFeed.setState((s) => ({
      unread: [news, ...s.unread.filter((u) => u.event_id !== news.event_id)].slice(0, MAX_UNREAD),
      toasts: news.status === 'firing' && !news.acknowledged ? [news, ...s.toasts.filter((t) => t.event_id !== news.event_id)].slice(0, 3) : s.toasts,
    }));
    if (news.status === 'firing') setTimeout(() => useAlertFeed.getState().dismiss(news.event_id), TOAST_MS);
    void queryClient.invalidateQueries({ queryKey: alertKeys.all });
  });
}

export const SEVERITY_TONE = { critical: 'bad', warning: 'warn', info: 'info' } as const;
export const STATUS_TONE = { pending: 'muted', firing: 'bad', resolved: 'ok' } as const;
