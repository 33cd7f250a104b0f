/**
 * Finds the route for `METHOD path`: exact paths first (a map lookup, as before path
 * parameters existed), then patterns with `:name` segments in the order routes are listed.
 * A parameter matches one non-empty segment and is percent-decoded (`%2B1415…` → `+1415…`).
 */
import type { SandboxRoute } from './route.js';

export interface RouteMatch {
  route: SandboxRoute;
  params: Record<string, string>;
}

export interface RouteTable {
  match(method: string, path: string): RouteMatch | null;
}

interface Pattern {
  route: SandboxRoute;
  segments: string[];
}

export function createRouteTable(routes: readonly SandboxRoute[]): RouteTable {
  const exact = new Map<string, SandboxRoute>();
  const patterns: Pattern[] = [];
  for (const route of routes) {
    if (route.path.includes('/:')) patterns.push({ route, segments: route.path.split('/') });
    else exact.set(`${route.method} ${route.path}`, route);
  }
  return {
    match(method, path) {
      const route = exact.get(`${method} ${path}`);
      if (route) return { route, params: {} };
      const segments = path.split('/');
      for (const pattern of patterns) {
        if (pattern.route.method !== method) continue;
        const params = matchSegments(pattern.segments, segments);
        if (params) return { route: pattern.route, params };
      }
      return null;
    },
  };
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i]!;
    const got = actual[i]!;
    if (!want.startsWith(':')) {
      if (want !== got) return null;
      continue;
    }
    if (!got) return null;
    try {
      params[want.slice(1)] = decodeURIComponent(got);
    } catch {
      return null; // malformed percent-encoding: no route, a 404
    }
  }
  return params;
}
