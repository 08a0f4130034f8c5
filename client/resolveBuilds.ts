// Where a blueprint's `build` contexts are and what they hold: read here, at the edge, by the
// client that loaded the file. Each built service gets the context's absolute path and content
// hash, and its image becomes the content-addressed tag (or stays the `image` the blueprint
// gave, Compose's "build it and name it so"). Workflows then see a changed context as a
// changed spec, and the worker builds from that path.
import { dirname, resolve } from 'node:path';
import { contextHash, contextProblem } from '../activities/docker/contextFiles';
import { builtImageTag, unbuiltImage } from '../domain/blueprint/build/builtImage';
import type { Blueprint, ServiceSpec } from '../domain/blueprint/model';

export class BuildContextError extends Error {}

/** The blueprint with every `build` resolved against `file`'s folder; throws BuildContextError naming each unreadable context. */
export function resolveBuilds(blueprint: Blueprint, file: string): Blueprint {
  const problems: string[] = [];
  const services = blueprint.services.map((s): ServiceSpec => {
    if (!s.build) return s;
    const contextPath = resolve(dirname(file), s.build.context);
    const inputs = { contextPath, ...(s.build.dockerfile !== undefined && { dockerfile: s.build.dockerfile }), ...(s.build.args !== undefined && { args: s.build.args }) };
    const problem = contextProblem(inputs);
    if (problem !== undefined) {
      problems.push(`service ${s.id}: ${problem}`);
      return s;
    }
    let hash: string;
    try {
      hash = contextHash(inputs);
    } catch (err) {
      problems.push(`service ${s.id}: cannot read the build context ${contextPath}: ${err instanceof Error ? err.message : String(err)}`);
      return s;
    }
    const image = s.image === unbuiltImage(blueprint.name, s.id) ? builtImageTag(blueprint.name, s.id, hash) : s.image;
    return { ...s, image, build: { ...s.build, contextPath, hash } };
  });
  if (problems.length > 0) throw new BuildContextError(problems.join('\n'));
  return { ...blueprint, services };
}
