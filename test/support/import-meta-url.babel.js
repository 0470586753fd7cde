// Jest runs NestJS 12's ES modules as CommonJS (see package.json "jest"). Their `import.meta.url`
// becomes the file's URL from `__filename`, without referring to `require`, which some of those
// modules redeclare (`const require = createRequire(import.meta.url)`).
module.exports = function importMetaUrl({ types: t }) {
  return {
    visitor: {
      MemberExpression(path) {
        const { object, property } = path.node;
        if (t.isMetaProperty(object) && object.meta.name === 'import' && object.property.name === 'meta' && t.isIdentifier(property, { name: 'url' })) {
          path.replaceWith(t.binaryExpression('+', t.stringLiteral('file://'), t.identifier('__filename')));
        }
      },
    },
  };
};
