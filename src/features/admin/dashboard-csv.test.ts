import { describe, expect, it } from 'vitest';
import type { AnalyticsDashboard } from '../../../protocol/analytics';
import { csvCell, dashboardCsv } from './dashboard-csv';

const figures: AnalyticsDashboard = {
  from: '2026-12-01',
  to: '2026-12-02',
  days: [{ day: '2026-12-02', activeUsers: 3, weeklyActiveUsers: 4, sessions: 5, events: 9, errors: 1 }],
  funnel: [
    { name: 'account.signup', users: 4 },
    { name: 'activity.join', users: 1 },
  ],
  retention: [
    { week: '2026-11-23', users: 2, retained: [2, 1] },
    { week: '2026-11-30', users: 1, retained: [1] },
  ],
  experiments: [{ flag: 'chat-reactions', conversion: 'message.send', variants: [{ variant: 'on', exposed: 10, converted: 5, rate: 0.5, low: 0.2366, high: 0.7634 }] }],
  errors: [{ message: 'TypeError: "x", y', count: 2, users: 1, lastAt: '2026-12-02T10:00:00Z', screen: '/chat', stack: 'Error\n    at A' }],
};

describe('dashboard CSV', () => {
  it('quotes commas, quotes and line breaks, and keeps formulas from running in a spreadsheet', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });

  it('writes each table with a header row and CRLF line ends', () => {
    expect(dashboardCsv.days(figures)).toBe('day,active users,weekly active users,sessions,events,errors\r\n2026-12-02,3,4,5,9,1\r\n');
    expect(dashboardCsv.funnel(figures)).toBe('step,users,% of first step\r\naccount.signup,4,100\r\nactivity.join,1,25\r\n');
    expect(dashboardCsv.retention(figures)).toBe('week of sign-up,users,week 0,week 1\r\n2026-11-23,2,2,1\r\n2026-11-30,1,1,\r\n');
    expect(dashboardCsv.experiments(figures)).toContain('chat-reactions,on,10,5,message.send,50,23.7,76.3\r\n');
    expect(dashboardCsv.errors(figures)).toBe('message,count,users,last seen,screen,stack\r\n"TypeError: ""x"", y",2,1,2026-12-02T10:00:00Z,/chat,"Error\n    at A"\r\n');
  });
});
